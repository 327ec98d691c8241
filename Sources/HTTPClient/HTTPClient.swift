// The HTTPClient module. See README "How it works".
