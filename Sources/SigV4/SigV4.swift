// The SigV4 module. See README "How it works".
