// drift-server's CLI run from its source (tsx), so the host test serves the checkout as it is.
import { main } from '../../drift-server/src/cli/main.ts';

process.exitCode = await main(process.argv);
