import type { DeadLetterResolvers } from '../__generated__/resolvers-types';

export const DeadLetter: DeadLetterResolvers = {
  consumerGroup: (letter, _args, { deadLetters }) => deadLetters.stripPrefix(letter.consumerGroup),
  topic: (letter, _args, { deadLetters }) => deadLetters.stripPrefix(letter.topic),
  key: (letter) => letter.messageKey,
  value: (letter) => letter.messageValue,
};
