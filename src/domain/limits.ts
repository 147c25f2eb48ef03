/** The longest note, in characters: what every surface accepts, what a vendor is sent and what the store keeps. */
export const MAX_NOTE_LENGTH = 2_000;
