/** The methods answering shared/contract/deliveries.ts, over DeliveriesService. */
import type { MethodsFor } from '../../shared/contract';
import type { deliveriesContract } from '../../shared/contract/deliveries';
import type { DeliveriesService } from './deliveries-service';

export interface DeliveriesMethodsDeps {
  deliveries: DeliveriesService;
}

export function deliveriesMethods(d: DeliveriesMethodsDeps): MethodsFor<typeof deliveriesContract> {
  return {
    listDeliveries: async ({ rowId }) => d.deliveries.list(rowId),
    addDelivery: ({ rowId, target }) => d.deliveries.add(rowId, target),
    removeDelivery: async ({ id }) => d.deliveries.remove(id),
    deliverToken: ({ rowId }) => d.deliveries.deliverRow(rowId),
  };
}
