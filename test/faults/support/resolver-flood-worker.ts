import { noCertificateFlood } from './resolver-flood-clients.js';

// Run as its own process (see floodFromAnotherProcess): argv is port, count; the CA PEM comes on stdin.
const [port, count] = process.argv.slice(2).map(Number);
let caPem = '';
process.stdin.setEncoding('utf8').on('data', (chunk: string) => (caPem += chunk));
process.stdin.on('end', () => {
  void noCertificateFlood(port!, caPem, count!).then((outcomes) => {
    process.stdout.write(JSON.stringify(outcomes));
  });
});
