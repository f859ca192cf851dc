import { ReceivedEvents1764100000000 } from './1764100000000-received-events';

export const migrations = [ReceivedEvents1764100000000];
