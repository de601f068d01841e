import { launch } from './launcher';

// out/cli/launcher.cjs, required by bin/tokenvault.cjs: its folder holds the bundles.
launch(__dirname, process.argv.slice(2), require.main);
