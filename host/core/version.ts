/** The tender's version, printed in the banner; kept equal to package.json's (tests check). */
export const VERSION = "0.1.0";
