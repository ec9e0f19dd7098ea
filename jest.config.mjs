export default {
  testEnvironment: "node",
  testMatch: ["<rootDir>/tests/**/*.test.mjs"],
  transform: {},
  globalSetup: "<rootDir>/tests/helpers/global-setup.mjs",
  globalTeardown: "<rootDir>/tests/helpers/global-teardown.mjs",
  testTimeout: 60000,
};
