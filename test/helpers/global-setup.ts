// Builds nothing and starts nothing shared: every test file starts its own app and database tier,
// so files can run in parallel without sharing state. This only checks the Node version once.
export default function globalSetup(): void {
  const [major] = process.versions.node.split('.').map(Number);
  if ((major ?? 0) < 20) throw new Error(`Node 20 or newer is required, found ${process.versions.node}`);
}
