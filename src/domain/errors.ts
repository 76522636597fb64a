/** A problem with a tool's arguments that a schema cannot express (dates out of order, ranges too long). */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}
