// The scorers every consumer of lexical features uses (workers, CLI, benchmarks), in one place.
import { countTokens } from './tokenizer';
import { rouge1F } from './rouge/rouge';
import { entitySim } from './entities';
import type { LexicalScorers } from './tag-set';

export const lexicalScorers: LexicalScorers = { countTokens, rouge1F, entitySim };
