// Validates events given one JSON per line on stdin (what `kcat -f '%s\n'` prints) against the
// published schema of each one's type and version; exits 1 if any is invalid.
//
//   kcat -b 127.0.0.1:9092 -t payments.payment.events -C -e -f '%s\n' \
//     | node examples/analytics/validate.mjs [--schemas http://127.0.0.1:3000 | schemas/events]
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { eventValidator } from './schemas.mjs';

const { values } = parseArgs({
  options: { schemas: { type: 'string', default: 'http://127.0.0.1:3000' } },
});
const validate = eventValidator(values.schemas);
let valid = 0;
let invalid = 0;
for await (const line of readline.createInterface({ input: process.stdin })) {
  if (line.trim() === '') continue;
  let event;
  try {
    event = JSON.parse(line);
  } catch {
    invalid += 1;
    console.log(`invalid: not JSON: ${line.slice(0, 80)}`);
    continue;
  }
  const problems = await validate(event);
  if (problems.length === 0) valid += 1;
  else {
    invalid += 1;
    console.log(`invalid: ${event.id ?? '?'} ${event.type ?? '?'}: ${problems.join('; ')}`);
  }
}
console.log(`${valid} valid, ${invalid} invalid`);
if (invalid > 0) process.exitCode = 1;
