// The Transcoder module. See README "How it works".
