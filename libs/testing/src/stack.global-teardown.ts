// Jest global teardown of the e2e project: stops every service of the stack, including those a
// test restarted (found through their pid files, not through the setup's child handles).
import { serviceNames } from './env';
import { removeSpec, stopService } from './services';

export default async function globalTeardown(): Promise<void> {
  await Promise.all(
    serviceNames.map(async (app) => {
      await stopService(app);
      removeSpec(app);
    }),
  );
}
