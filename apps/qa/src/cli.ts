import { Command } from 'commander';

const program = new Command('attn-qa')
  .description('attn sample app: qa (train / eval / predict with an HF-format BERT directory)')
  .showHelpAfterError();

program.parse();
if (!program.args.length) program.help();
