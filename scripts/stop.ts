import { isAlive, removePid, runningSystem } from './pid-file';

/** `npm run stop`: asks a running `npm start` to stop everything it started, and waits for it. */
async function main() {
  const pid = runningSystem();
  if (!pid) {
    removePid();
    console.log('stop: the system is not running');
    return;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 60_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((wake) => setTimeout(wake, 200));
  if (isAlive(pid)) {
    console.error(`stop: process ${pid} still running after 60 s`);
    process.exit(1);
  }
  console.log('stop: stopped');
}

void main();
