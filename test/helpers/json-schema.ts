/** Compiles an upstream JSON schema (draft 2020-12) from ../shared/reference; returns a checker of error strings. */
export function compile2020(schema: object): (data: unknown) => string[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const Ajv2020 = require('ajv/dist/2020').default;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  return (data) => (validate(data) ? [] : validate.errors.map((e: { instancePath: string; message: string }) => `${e.instancePath} ${e.message}`));
}
