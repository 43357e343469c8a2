/**
 * Meta's App Dashboard has a "Test" button beside each webhook field. It posts a fixed, signed sample to the
 * callback: entry id "0" on both channels (WhatsApp: phone number id 123456123, customer 16315551181, message
 * ABGGFlA5Fpa; Instagram: sender 12334, recipient 23245, mid random_mid, under `changes`). No account has the
 * id "0", so such an entry is recognised by it alone, whatever sample text Meta sends: it is answered like
 * any delivery and starts no run, which would otherwise try to answer a customer who does not exist.
 */
import type { JsonRecord } from '../json';
import { asString } from '../json';

export const DASHBOARD_TEST_ENTRY_ID = '0';

export const DASHBOARD_TEST_LOG =
	"Meta's dashboard test event received: your callback works (Meta's sample data starts no workflow run; a real message will)";

export function isDashboardTestEntry(entry: JsonRecord): boolean {
	return asString(entry.id) === DASHBOARD_TEST_ENTRY_ID;
}
