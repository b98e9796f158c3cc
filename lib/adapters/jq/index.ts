export { JqError, JqRunner, sharedJq } from './jq-runner';
