/**
 * Pieces every hand-written CRD schema here uses. Each CRD's own files say where its fields come from.
 */

/** An object with exactly these properties: the keys the API server would prune (unknown fields) are refused. */
export const strictObject = (properties: Record<string, unknown>, required?: string[]) => ({ type: 'object', additionalProperties: false, properties, ...(required ? { required } : {}) });

/** metadata as these schemas check it: a name, and a namespace when there is one. */
export const objectMeta = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, namespace: { type: 'string' } } };
