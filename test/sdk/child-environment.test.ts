import { describe, expect, it } from 'vitest';
import { childEnvironment } from '../../services/sdk/child-environment.js';

describe('childEnvironment', () => {
  it('drops every STRONGROOM_* variable and every variable naming a withheld path', () => {
    const env = childEnvironment(
      {
        PATH: '/usr/bin',
        HOME: '/home/runner',
        STRONGROOM_RUNNER_KEY: '/etc/runner/key.pem',
        strongroom_resolver_address: 'resolver:50051',
        STRONGROOM_RUN_GRANT: 'grant-token',
        KEY_COPY: '/etc/runner/key.pem',
        RELATIVE_KEY: 'certs/runner.pem',
        IN_A_LIST: '--cert=/etc/runner/key.pem --verbose',
        DATA: '/srv/strongroom/data/tls/ca.pem',
        UNSET: undefined,
        STRONGROOMISH: 'kept: no underscore',
      },
      { withheldPaths: ['/etc/runner/key.pem', 'certs/runner.pem', '/srv/strongroom/data'], cwd: '/work' },
    );
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/runner', STRONGROOMISH: 'kept: no underscore' });
  });

  it('never treats the root directory as a path to withhold', () => {
    expect(childEnvironment({ PATH: '/usr/bin' }, { withheldPaths: ['/'] })).toEqual({ PATH: '/usr/bin' });
  });
});
