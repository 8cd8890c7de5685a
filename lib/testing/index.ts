// The test kit (`nestjs-request-forge/testing`): its entry point in both builds, filled in by the
// test-kit issue.
export {};
