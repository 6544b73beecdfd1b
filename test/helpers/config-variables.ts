import { CONFIG_VARIABLES } from '../../src/config-env.ts';

/** Every environment variable src/config.ts knows, so deployment files are checked against the code. */
export function configVariables(): readonly string[] {
  return CONFIG_VARIABLES;
}

/** Names whose values are credentials: they belong in a Secret, never in an image or a ConfigMap. */
export const SECRET_NAME = /key|token|secret|password|database_url/iu;
