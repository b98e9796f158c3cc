#!/usr/bin/env python3
"""Dependency closure (Depends + Pre-Depends) of Debian packages installed on this machine.

usage: closure.py SKIP PKG...   SKIP: comma-separated packages left out (with what only they pull in)
Prints sorted name=version lines. Of alternatives (a | b) the first installed one is taken;
a virtual package resolves to an installed package that provides it.
"""
import re, subprocess, sys

fmt = '${binary:Package}\t${Package}\t${db:Status-Status}\t${Version}\t${Depends}, ${Pre-Depends}\t${Provides}\n'
out = subprocess.run(['dpkg-query', '-W', '-f', fmt], check=True, capture_output=True, text=True).stdout
pkgs, provides = {}, {}
for line in out.splitlines():
    full, name, status, version, deps, prov = line.split('\t')
    if status != 'installed':
        continue
    pkgs[name] = (version, deps)
    for p in prov.split(','):
        p = re.sub(r'\(.*?\)', '', p).strip()
        if p:
            provides.setdefault(p, name)

def resolve(alt):
    n = re.sub(r'\(.*?\)|:any|:\w+', '', alt).strip()
    if n in pkgs:
        return n
    return provides.get(n)

skip = set(sys.argv[1].split(',')) if sys.argv[1] else set()
queue, seen = list(sys.argv[2:]), set()
while queue:
    p = queue.pop()
    if p in seen or p in skip:
        continue
    if p not in pkgs:
        sys.exit(f'package {p} is not installed on this machine')
    seen.add(p)
    for group in pkgs[p][1].split(','):
        if not group.strip():
            continue
        for alt in group.split('|'):
            r = resolve(alt)
            if r:
                queue.append(r)
                break
for p in sorted(seen):
    print(f'{p}={pkgs[p][0]}')
