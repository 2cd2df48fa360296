import { bundles } from "./bundles.mjs";
process.stdout.write(JSON.stringify(await bundles()));
