#!/usr/bin/env python3
"""Write images.json: every published reference with its digest, image config and size.

usage: manifest.py OCI_LAYOUT PUBLISHED_TSV KEY > images.json
PUBLISHED_TSV lines: reference<TAB>repository<TAB>tag<TAB>layout tag<TAB>digest file
"""
import json
import os
import sys


def blob(layout, digest):
    algo, hexdigest = digest.split(':', 1)
    with open(os.path.join(layout, 'blobs', algo, hexdigest), 'rb') as f:
        return json.load(f)


def main():
    layout, published, key = sys.argv[1:4]
    with open(os.path.join(layout, 'index.json')) as f:
        index = json.load(f)
    by_tag = {m['annotations']['org.opencontainers.image.ref.name']: m for m in index['manifests']}
    images = []
    for line in open(published):
        reference, repository, tag, layout_tag, digest_file = line.rstrip('\n').split('\t')
        descriptor = by_tag[layout_tag]
        digest = open(digest_file).read().strip()
        if digest != descriptor['digest']:
            sys.exit(f'{reference}: the registry stored {digest}, the layout has {descriptor["digest"]}')
        manifest = blob(layout, descriptor['digest'])
        config = blob(layout, manifest['config']['digest']).get('config', {})
        images.append({
            'reference': reference,
            'repository': repository,
            'tag': tag,
            'digest': digest,
            'config': {k: config.get(k) for k in ('Entrypoint', 'Cmd', 'Env', 'WorkingDir', 'User')},
            'size': manifest['config']['size'] + sum(layer['size'] for layer in manifest['layers']),
        })
    json.dump({'key': key, 'images': images}, sys.stdout, indent=2)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
