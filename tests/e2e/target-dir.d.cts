/** Cargo's target directory, absolute. */
export function targetDir(): string;
/** The release build of the relay. */
export function relayBinary(): string;
