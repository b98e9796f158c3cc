import { expect, it } from 'vitest';
import { parseParamFlags, parseWorkspaceFlags } from './param-flags';

it('splits array and object params by their declared type', () => {
  expect(
    parseParamFlags(['msg=a,b', 'arr=a,b', 'obj=x:1,y:2'], { msg: 'string', arr: 'array', obj: 'object' }),
  ).toEqual([
    { name: 'msg', value: 'a,b' },
    { name: 'arr', value: ['a', 'b'] },
    { name: 'obj', value: { x: '1', y: '2' } },
  ]);
  expect(() => parseParamFlags(['novalue'], {})).toThrow(/name=value/);
});

it('parses workspace bindings', () => {
  expect(
    parseWorkspaceFlags(['src=emptyDir', 'cache=pvc:build-cache', 'cfg=configMap:settings', 'creds=secret:git']),
  ).toEqual([
    { name: 'src', emptyDir: {} },
    { name: 'cache', persistentVolumeClaim: { claimName: 'build-cache' } },
    { name: 'cfg', configMap: { name: 'settings' } },
    { name: 'creds', secret: { secretName: 'git' } },
  ]);
  expect(() => parseWorkspaceFlags(['x=nfs:foo'])).toThrow(/emptyDir/);
});
