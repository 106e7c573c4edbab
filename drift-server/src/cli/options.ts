import { InvalidArgumentError } from 'commander';

/** A commander argument parser for whole numbers within [minimum, maximum]. */
export function wholeNumber(minimum: number, maximum: number) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < minimum || number > maximum) {
      throw new InvalidArgumentError(`expected a whole number from ${minimum} to ${maximum}`);
    }
    return number;
  };
}
