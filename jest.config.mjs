export default {
  testEnvironment: "node",
  testMatch: ["<rootDir>/tests/**/*.test.mjs"],
  transform: {},
  globalSetup: "<rootDir>/tests/helpers/global-setup.mjs",
  testTimeout: 60000,
};
