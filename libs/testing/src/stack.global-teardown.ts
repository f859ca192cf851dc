// Jest global teardown of the e2e project: stops every service of the stack, including those a
// test restarted (found through their pid files, not through the setup's child handles).
import { serviceNames } from './env';
import type { OtlpReceiver } from './otlp-receiver';
import { removeSpec, stopService } from './services';
import { otlpReceiverGlobal } from './stack.global-setup';

export default async function globalTeardown(): Promise<void> {
  await Promise.all(
    serviceNames.map(async (app) => {
      await stopService(app);
      removeSpec(app);
    }),
  );
  // After the services: they export their last spans as they stop.
  await (globalThis as Record<symbol, OtlpReceiver | undefined>)[otlpReceiverGlobal]?.close();
}
