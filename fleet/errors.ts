// The one error the fleet raises on purpose (common/errors.ts maps its code to exit status 1).

import type { ErrorCode } from '../common/errors.ts';

/** The fleet could not start; the message says what to do. Whatever it had created is already removed. */
export class FleetSetupError extends Error {
  override readonly name = 'FleetSetupError';
  readonly code = 'HEXD_FLEET_SETUP' satisfies ErrorCode;
}
