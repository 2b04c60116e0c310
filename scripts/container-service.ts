import { serviceNames, serviceNamed, type ServiceName } from '@io/registry';

/** The registered service a container runs, named by its SERVICE variable (see docker/Dockerfile). */
export function containerService(env: NodeJS.ProcessEnv = process.env) {
  const name = env.SERVICE;
  if (!serviceNames.includes(name as ServiceName)) {
    throw new Error(
      `SERVICE must be one of ${serviceNames.join(', ')} (got ${name === undefined ? 'nothing' : JSON.stringify(name)})`,
    );
  }
  return serviceNamed(name as ServiceName);
}
