import { build } from 'esbuild';
import { fromProjectRoot } from '@io/project-root';

/**
 * `tsx scripts/bundle.ts <entry> <outdir>`: one browser app bundled with esbuild, its npm packages
 * included, so the page it belongs to loads nothing from the internet. The entry's CSS imports
 * become `<outdir>/<entry name>.css` next to the script; fonts and images are inlined as data URLs.
 * Each bundle is one build step (see `bundleStep` in scripts/build.ts), rebuilt when its inputs change.
 */
async function main(): Promise<void> {
  const [entry, outdir] = process.argv.slice(2);
  if (!entry || !outdir) throw new Error('usage: tsx scripts/bundle.ts <entry> <outdir>');
  await build({
    entryPoints: [fromProjectRoot(entry)],
    outdir: fromProjectRoot(outdir),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    // Licences of the bundled packages, in a file of their own next to the bundle.
    legalComments: 'linked',
    // React and the packages built for it choose their production build by this.
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl', '.png': 'dataurl' },
    logLevel: 'warning',
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
