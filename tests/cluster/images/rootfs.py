#!/usr/bin/env python3
"""Assemble an image root filesystem from Debian packages installed on this machine.

usage: rootfs.py DEST PKG...   (PKG: names, e.g. the output of closure.py without "=version")

Copies every non-directory path that `dpkg -L` lists for each package, except
documentation, manuals, translations and info pages, to the same path in DEST
(paths under the merged-/usr links /bin, /lib... land in /usr). Hard links stay hard
links; configuration files edited on this machine are left out. Then adds what maintainer
scripts would have made: the /etc/alternatives links whose target was copied, the CA
bundle in /etc/ssl/certs, and ld.so.cache.
"""
import hashlib
import os
import shutil
import subprocess
import sys

SKIP_PREFIXES = ('/usr/share/doc/', '/usr/share/man/', '/usr/share/locale/', '/usr/share/info/',
                 '/usr/share/lintian/', '/usr/share/bug/', '/usr/share/doc-base/')
MERGED = ('bin', 'sbin', 'lib', 'lib64')


def canonical(path):
    """The path with its parent directory's symlinks resolved (/bin/bash -> /usr/bin/bash)."""
    parent, name = os.path.split(path)
    return os.path.join(os.path.realpath(parent), name)


def copy(src, dest_root, inodes):
    dst = dest_root + src
    if os.path.lexists(dst):
        return
    st = os.lstat(src)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    key = (st.st_dev, st.st_ino)
    if not os.path.islink(src) and st.st_nlink > 1 and key in inodes:
        os.link(inodes[key], dst)
        return
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
    else:
        shutil.copy2(src, dst)
        os.chown(dst, st.st_uid, st.st_gid)
        os.chmod(dst, st.st_mode & 0o7777)
        inodes[key] = dst


def main():
    dest, packages = os.path.abspath(sys.argv[1]), sys.argv[2:]
    os.makedirs(os.path.join(dest, 'usr'), exist_ok=True)
    for d in MERGED:
        if os.path.islink('/' + d):
            os.makedirs(os.path.join(dest, 'usr', d), exist_ok=True)
            os.symlink('usr/' + d, os.path.join(dest, d))
    listed = subprocess.run(['dpkg', '-L', *packages], check=True, capture_output=True, text=True).stdout
    inodes = {}
    edited = edited_conffiles(packages)
    for path in sorted(set(listed.splitlines())):
        if not path.startswith('/') or path.startswith(SKIP_PREFIXES) or not os.path.lexists(path):
            continue
        if path in edited:
            print(f'[images] leaving out {path}: edited on this machine (a local change must not ship)', file=sys.stderr)
            continue
        if os.path.isdir(path) and not os.path.islink(path):
            continue
        path = canonical(path)
        if not path.startswith(SKIP_PREFIXES):
            copy(path, dest, inodes)
    alternatives(dest)
    if os.path.isdir('/etc/ssl/certs'):
        for name in sorted(os.listdir('/etc/ssl/certs')):
            if not os.path.isdir(os.path.join('/etc/ssl/certs', name)):
                copy(os.path.join('/etc/ssl/certs', name), dest, inodes)
    subprocess.run(['ldconfig', '-r', dest], check=True)


def edited_conffiles(packages):
    """Configuration files whose content differs from what their package shipped."""
    out = subprocess.run(['dpkg-query', '-W', '-f', '${Conffiles}\n', *packages], check=True, capture_output=True,
                         text=True).stdout
    edited = set()
    for line in out.splitlines():
        fields = line.split()
        if len(fields) < 2 or not os.path.isfile(fields[0]) or os.path.islink(fields[0]):
            continue
        with open(fields[0], 'rb') as f:
            if hashlib.md5(f.read()).hexdigest() != fields[1]:
                edited.add(fields[0])
    return edited


def alternatives(dest):
    """Recreate /etc/alternatives/<name> and its link for every alternative whose choice was copied."""
    names = subprocess.run(['update-alternatives', '--get-selections'], check=True, capture_output=True,
                           text=True).stdout.split()[0::3]
    for name in names:
        query = subprocess.run(['update-alternatives', '--query', name], capture_output=True, text=True).stdout
        fields = dict(line.split(': ', 1) for line in query.splitlines() if ': ' in line and not line.startswith(' '))
        link, value = fields.get('Link'), fields.get('Value')
        if not link or not value or value.startswith(SKIP_PREFIXES) or not os.path.lexists(dest + value):
            continue
        os.makedirs(dest + '/etc/alternatives', exist_ok=True)
        if not os.path.lexists(dest + '/etc/alternatives/' + name):
            os.symlink(value, dest + '/etc/alternatives/' + name)
        link = canonical(link)
        if not os.path.lexists(dest + link):
            os.makedirs(os.path.dirname(dest + link), exist_ok=True)
            os.symlink('/etc/alternatives/' + name, dest + link)


if __name__ == '__main__':
    main()
