// The app's tests import these from here; the implementation is @attn/cli's.
export { CliError, runCommand } from '@attn/cli';
