import { createProgram } from './program';

await createProgram().parseAsync();
