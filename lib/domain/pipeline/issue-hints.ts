import type { z } from 'zod';

/** A readable message and a one-sentence fix for a zod issue on a Tekton or companion document. */
export function hintForIssue(issue: z.core.$ZodIssue): { message: string; hint: string } {
  const last = issue.path[issue.path.length - 1];
  const field = typeof last === 'string' ? last : String(issue.path[issue.path.length - 2] ?? 'document');
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);

  if (missing) return { message: `${field} is required`, hint: requiredHint(field) };
  if (issue.code === 'invalid_union') {
    return {
      message: `${field} must be a string, a list of strings or a map of strings`,
      hint: 'Write a string value, a YAML list of strings or a map from keys to strings.',
    };
  }
  if (issue.code === 'invalid_type')
    return {
      message: `${field}: ${issue.message}`,
      hint: `Change ${field} to ${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}.`,
    };
  if (issue.code === 'invalid_value') {
    const values = issue.values.map((v) => String(v)).join(', ');
    return { message: `${field} must be one of ${values}`, hint: `Use one of: ${values}.` };
  }
  return { message: issue.message, hint: customHint(issue.message, field) };
}

function requiredHint(field: string): string {
  switch (field) {
    case 'spec':
      return 'Add a spec section to the document.';
    case 'steps':
      return 'Add a steps list with at least one step that has an image and a script.';
    case 'tasks':
      return 'Add a tasks list with at least one pipeline task.';
    case 'name':
      return 'Give the entry a name.';
    case 'value':
      return 'Give the param a value.';
    default:
      return `Add the ${field} field.`;
  }
}

const CUSTOM_HINTS: [RegExp, string | ((m: RegExpMatchArray) => string)][] = [
  [
    /metadata.name or metadata.generateName/,
    'Add metadata.name, or metadata.generateName for runs that should get a random suffix.',
  ],
  [/duplicate (.+) name/, (m) => `Rename one of the ${m[1]}s; names must be unique in their list.`],
  [
    /script or command/,
    'Keep script and drop command (put the interpreter in a shebang line), or use command with args and no script.',
  ],
  [
    /exactly one of taskRef or taskSpec/,
    'Set taskRef: {name: <task>} to use a stored Task, or taskSpec to inline one, but not both.',
  ],
  [
    /exactly one of pipelineRef or pipelineSpec/,
    'Set pipelineRef: {name: <pipeline>} or an inline pipelineSpec, but not both.',
  ],
  [/Go duration/, 'Write a Go duration such as "30s", "10m" or "1h30m"; "0" means no timeout.'],
  [/default .* but the param type/, 'Make the default match the param type, or change the type.'],
  [/enum/, 'Keep enum on string params and make the default one of its values.'],
  [
    /no volume source|only one source/,
    'Give the workspace exactly one of emptyDir, volumeClaimTemplate, persistentVolumeClaim, configMap or secret.',
  ],
  [/matrix params take an array/, 'Give each matrix param a list of values, e.g. value: [linux, mac].'],
  [
    /with ref cannot set/,
    'Remove the field from the step; a step that uses a StepAction takes only params and the fields the StepAction leaves open.',
  ],
  [/step params are allowed only/, 'Add ref: {name: <stepaction>} to the step, or move the params to the task.'],
  [/binaryData values are base64/, 'Base64-encode the file (`base64 -w0 <file>`), or put plain text under data.'],
  [
    /\(a config key\)/,
    'Rename the key (it is the file name in volumes); to put the file in a folder, use items with a path such as conf/app.yaml.',
  ],
  [/in both data and binaryData/, 'Keep the key under data (text) or under binaryData (base64), not both.'],
  [/has no field "([^"]+)".*; its fields are (.+)$/, (m) => `Remove "${m[1]}" or correct it to one of: ${m[2]}.`],
  [/base64/, 'Put plain-text values under stringData, or base64-encode them under data.'],
  [/quote numbers/, 'Quote the value so that it is a string.'],
  [/needs at least one/, 'Add at least one entry to the list.'],
  [/names/, 'Rename it using only the allowed characters.'],
];

function customHint(message: string, field: string): string {
  for (const [pattern, hint] of CUSTOM_HINTS) {
    const match = message.match(pattern);
    if (match) return typeof hint === 'string' ? hint : hint(match);
  }
  return `Correct ${field} as the message describes and apply again.`;
}
