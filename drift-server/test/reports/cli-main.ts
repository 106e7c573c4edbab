// The drift-server CLI from source in a child process, as bin/drift-server.cjs runs the built one.
import { main } from '../../src/cli/main';

main(process.argv).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`drift-server: ${error.message}\n`);
    process.exit(1);
  }
);
