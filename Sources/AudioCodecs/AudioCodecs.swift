// The AudioCodecs module. See README "How it works".
