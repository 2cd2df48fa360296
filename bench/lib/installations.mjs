// (e) One App, many installations: N concurrent requests spread over K installations, through one
// strategy, against the loopback server in another process. Run once per contender in a fresh process
// (argv: contender, origin, N, K) so peak RSS is its own. Two waves: cold (every installation mints) and
// warm (every token cached). Prints { mints, connections, coldMs, warmMs, coldPeakRssMb, peakRssMb }.
import { checkInstallations, installationCall } from "./app-contenders.mjs";

const [contender, origin, n, k] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const call = installationCall(contender, `${origin}/api/v3`, k);

const stats = async () => (await fetch(`${origin}/__stats`)).json();
const wave = async () => {
  const t0 = performance.now();
  const ids = await Promise.all(Array.from({ length: n }, (_, i) => call(i)));
  const ms = performance.now() - t0;
  checkInstallations(contender, ids, k);
  return ms;
};
const coldMs = await wave();
const { mints, connections } = await stats();
// The peak up to here is the cold wave's; the warm wave comes on top of whatever the cold one left for the GC.
const coldPeakRssMb = process.resourceUsage().maxRSS / 1024;
const warmMs = await wave();
const after = await stats();
process.stdout.write(
  JSON.stringify({ mints, mintsAfterWarm: after.mints, connections, coldMs, warmMs, coldPeakRssMb, peakRssMb: process.resourceUsage().maxRSS / 1024 }),
);
