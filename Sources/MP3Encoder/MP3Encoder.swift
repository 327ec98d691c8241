// The MP3Encoder module. See README "How it works".
