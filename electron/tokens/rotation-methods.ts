/** The methods answering shared/contract/rotation.ts, over BulkRotation. */
import type { MethodsFor } from '../../shared/contract';
import type { rotationContract } from '../../shared/contract/rotation';
import type { EventEmitterFn } from '../app/events';
import type { BulkRotation } from './bulk-rotation';

export interface RotationMethodsDeps {
  rotation: BulkRotation;
  emit: EventEmitterFn;
}

export function rotationMethods(d: RotationMethodsDeps): MethodsFor<typeof rotationContract> {
  return {
    rotateMany: async (request) => {
      const run = await d.rotation.rotateMany(request);
      d.emit('tokens:changed', { reason: 'rotate' });
      return run;
    },
    previewRotation: async ({ selection }) => d.rotation.preview(selection),
  };
}
