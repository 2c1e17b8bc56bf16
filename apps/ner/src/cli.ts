import { Command } from 'commander';

const program = new Command('attn-ner')
  .description('attn sample app: ner (train / eval / predict with an HF-format BERT directory)')
  .showHelpAfterError();

program.parse();
if (!program.args.length) program.help();
