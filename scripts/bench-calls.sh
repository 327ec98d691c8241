# The synthesized calls of the benchmarks and of scripts/same-bytes: a name → "seconds codec-a codec-b label"
# table, and `call_capture NAME` that writes (once, cached in $BENCH_DIR) the capture of a call with
# $BIN/capture-synth. All calls carry SIP (caller = leg A) and no impairments.
#
# Tones (g711-*, g722-*): the synthesizer's speech-like signal, both parties sounding all the time.
# Speech (speech-*): a conversation: espeak-ng speaks a text per party (two voices), ffmpeg resamples it to the
# codec's rate, and capture-synth --turns makes the parties take turns of 2-12 s, each quiet (room noise at about
# -60 dBFS) while the other talks, so each is silent about half the time, as on a real call.
# shellcheck shell=bash

BENCH_DIR="${BENCH_DIR:-$ROOT/.bench}"

declare -A CALLS=(
    [g711-60]="3600 pcmu pcmu 60 min G.711 (PCMU+PCMU)"
    [g722-60]="3600 pcmu g722 60 min G.711+G.722"
    [g711-5]="300 pcmu pcmu 5 min G.711 (PCMU+PCMU)"
    [g722-5]="300 pcmu g722 5 min G.711+G.722"
    [speech-60]="3600 pcmu pcmu 60 min G.711 speech, turns"
    [speech-5]="300 pcmu pcmu 5 min G.711 speech, turns"
)

# What each party says in the speech calls (written for this project). Spoken at espeak-ng's default speed this
# is a little over a minute per party; the conversation loops through it.
SPEECH_TEXT_A="Hello, thanks for calling back. I wanted to go over the order from last week, the one with the \
two replacement units. The first unit arrived on Tuesday and it works, but the second one has a cracked panel on \
the left side. We took photos when we opened the box, so I can send those over today. Could you tell me whether \
you would rather ship a new panel or the whole unit? We need it running before the end of the month, because the \
site inspection is on the twenty eighth. Also, the invoice lists three units instead of two. I think somebody \
copied the line twice. Can you fix that and send a corrected copy to the accounts address? That is everything \
from my side. Oh, one more thing: the delivery driver asked for a loading bay number, and it is bay four."
SPEECH_TEXT_B="Sure, no problem at all. Let me pull up the order while we talk. Right, I can see it here: two \
units, shipped on the third, delivered on the fifth. I am sorry about the panel. A new panel is quicker, we keep \
those in stock and it can go out tomorrow morning by courier. The whole unit would take about ten days. Please \
send the photos to the support address with the order number in the subject line, and I will attach them to the \
claim. About the invoice, you are right, there is a duplicate line. I will ask accounts to issue a credit note and \
a corrected invoice this afternoon. Bay four, got it, I will add that to the delivery notes. Is there anything \
else I can help you with today? Great, then have a good afternoon, and thanks for your patience."

# Raw 16-bit little-endian mono speech of party $1 (a or b) at rate $2, made once with espeak-ng and ffmpeg.
speech_material() {
    local party="$1" rate="$2" path voice text
    path="$BENCH_DIR/speech-$party-$rate.s16"
    if [[ ! -s "$path" ]]; then
        command -v espeak-ng >/dev/null || fail "espeak-ng is needed for the speech calls (Debian: espeak-ng)"
        command -v ffmpeg >/dev/null || fail "ffmpeg is needed for the speech calls"
        mkdir -p "$BENCH_DIR"
        if [[ "$party" == a ]]; then voice=en-us text="$SPEECH_TEXT_A"; else voice=en-gb text="$SPEECH_TEXT_B"; fi
        espeak-ng -v "$voice" -w "$path.wav" "$text"
        ffmpeg -hide_banner -loglevel error -y -i "$path.wav" -ar "$rate" -ac 1 -f s16le "$path.tmp"
        rm -f "$path.wav"
        mv "$path.tmp" "$path"
    fi
    echo "$path"
}

# The cached capture of call $1, synthesized when missing.
call_capture() {
    local name="$1" seconds codec_a codec_b label path extra=()
    read -r seconds codec_a codec_b label <<<"${CALLS[$name]}"
    if [[ "$name" == speech-* ]]; then
        local rate=8000
        [[ "$codec_a" == g722 ]] && rate=16000
        extra=(--speech-a "$(speech_material a "$rate")" --speech-b "$(speech_material b "$rate")" --turns)
        path="$BENCH_DIR/call-${seconds}s-$codec_a-$codec_b-sip-speech.pcap"
    else
        path="$BENCH_DIR/call-${seconds}s-$codec_a-$codec_b-sip.pcap"
    fi
    if [[ ! -s "$path" ]]; then
        log "synthesizing $label ($path)"
        mkdir -p "$BENCH_DIR"
        "$BIN/capture-synth" -o "$path.tmp" --duration "$seconds" --codec-a "$codec_a" --codec-b "$codec_b" --sip \
            "${extra[@]}" >/dev/null
        mv "$path.tmp" "$path"
    fi
    echo "$path"
}
