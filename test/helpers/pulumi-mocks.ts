import * as pulumi from '@pulumi/pulumi';

/** One resource the program registered, as the Pulumi engine would have received it. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/**
 * Installs Pulumi's documented unit-test mocks and records every resource. Import the code under test only after
 * calling this (the mocks must be in place before any resource is constructed).
 */
export function recordResources(): RecordedResource[] {
  const recorded: RecordedResource[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args: pulumi.runtime.MockResourceArgs) => {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args: pulumi.runtime.MockCallArgs) => args.inputs,
    },
    'gpuplane',
    'test',
    false,
  );
  return recorded;
}

/** Resolves an Output in a test. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Lets pending resource registrations reach the mocks. */
export async function settle(resources: pulumi.Resource[]): Promise<void> {
  await Promise.all(resources.map((r) => promiseOf(r.urn)));
}
