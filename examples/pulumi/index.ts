import { VllmService } from '../../lib/pulumi';
import { EXAMPLE_SERVICES } from '../services';

/**
 * The Pulumi twin of the cdk8s app: the same example services as Pulumi components. With a stack selected,
 * `pulumi up` in this folder creates them; the tests run it under Pulumi's mocks and compare it with the cdk8s output.
 */
export const services = Object.fromEntries(
  Object.entries(EXAMPLE_SERVICES).map(([name, options]) => [name, new VllmService(name, options)]),
);

/** The in-cluster API URL of every service. */
export const urls = Object.fromEntries(Object.entries(services).map(([name, svc]) => [name, svc.url]));
