import pkg from '../package.json' with { type: 'json' };

export const KEELSON_VERSION: string = pkg.version;
