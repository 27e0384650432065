// Hidden trigger behind the Deal dropdown (newest first, one page at a time); fields using it
// also offer the Find Deal search.
import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { apiPage } from '../lib/api';
import type { RecordWire } from '../lib/shapes';

const perform = async (z: ZObject, bundle: Bundle) => {
  return apiPage<RecordWire>(z, '/deals', bundle.meta.page ?? 0);
};

export default defineTrigger({
  key: 'deal_list',
  noun: 'Deal',
  display: {
    label: 'List of Deals',
    description: 'Powers the Deal dropdown.',
    hidden: true,
  },
  operation: { type: 'polling', perform, canPaginate: true },
});
