// The type-check here proves the .d.ts need none of the optional peers: they must be absent.
const optional = [
  'cache-manager',
  'keyv',
  '@keyv/redis',
  '@nestjs/cache-manager',
  'cacheable',
  'undici',
  '@opentelemetry/api',
];
const present = optional.filter((name) => {
  try {
    require.resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
});
if (present.length > 0) {
  console.error(`optional peers installed, the type-check would prove nothing: ${present}`);
  process.exit(1);
}
