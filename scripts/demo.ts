// Placeholder until the seed server lands; replaced by the demo of the embedded default.
console.log("seedstack: nothing to run yet");
