// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// Test-only per-VC sinks/checkers for the ICN bench (takes one endpoint's m_axis).
// Each VC regenerates the stream the peer's m890_tb_icn_src sends (same SEED/STREAM_ID) and
// compares every beat bit for bit (data and tlast): a lost, duplicated, reordered or
// corrupted beat is a mismatch. It also folds every received beat into a 64-bit signature
// that the Python golden model (models/icn_model.py) recomputes independently.
// Random back-pressure (tready low) with probability bp_thr/2^32; stall[v] holds tready low.
// Peer resets: packets may be lost, never delivered in part, twice or out of order. A packet
// whose first beat differs from the expected one is searched forward for (skipping packets,
// tready low meanwhile; each skipped index must lie below the sender's safe_from, else it is an
// error); a beat with tuser must carry tlast and end a packet whose head was received (an
// abort); when this side's endpoint is reset (ep_rst) the packet in progress is abandoned.
// Every packet index is accounted: pkts (whole) + aborts + skips + abandons = next index.
module m890_tb_icn_snk #(
  parameter DATA_W = 256,   // beat width (multiple of 64)
  parameter NUM_VC = 3,     // virtual channels
  parameter MAX_PKT = 8,    // longest packet in beats
  parameter STREAM_ID = 0   // which side's stream is expected (0: A, 1: B)
) (
  input  wire                     clk,
  input  wire                     rst_n,
  input  wire [31:0]              seed,
  input  wire [31:0]              bp_thr,
  input  wire [NUM_VC-1:0]        stall,
  input  wire [NUM_VC*DATA_W-1:0] tdata,
  input  wire [NUM_VC-1:0]        tvalid,
  output wire [NUM_VC-1:0]        tready,
  input  wire [NUM_VC-1:0]        tlast,
  input  wire [NUM_VC-1:0]        tuser,
  input  wire                     ep_rst,        // this side's endpoint (and user logic) is in reset
  input  wire [NUM_VC*32-1:0]     safe_from,     // the sender's first packet that must arrive
  output wire [NUM_VC*32-1:0]     st_aborts,     // packets ended by tuser
  output wire [NUM_VC*32-1:0]     st_skips,      // packets never received (skipped)
  output wire [NUM_VC*32-1:0]     st_abandons,   // packets abandoned by a reset of this side
  output wire [NUM_VC*32-1:0]     st_next,       // index of the next expected packet
  output wire [NUM_VC*32-1:0]     st_skip_errs,  // skipped packets at or above safe_from
  // status per VC (VC v in slice v), read by the bench's monitor through the top's ports
  output wire [NUM_VC*32-1:0]     st_pkts,       // whole packets received
  output wire [NUM_VC*32-1:0]     st_beats,      // beats received
  output wire [NUM_VC*32-1:0]     st_errs,       // beats that differ from the expected stream
  output wire [NUM_VC*64-1:0]     st_sig,        // stream signature (models/icn_model.py)
  output wire [NUM_VC*32-1:0]     st_err_beat,   // index of the first bad beat
  output wire [NUM_VC*64-1:0]     st_err_got,    // its word 0 as received
  output wire [NUM_VC*64-1:0]     st_err_exp,    // its word 0 as expected
  output wire [NUM_VC-1:0]        st_err_glast,  // its tlast as received
  output wire [NUM_VC-1:0]        st_err_elast   // its tlast as expected
);
  localparam NW = DATA_W / 64;
  localparam [63:0] GOLD = 64'h9E3779B97F4A7C15;

  `include "m890_tb_icn_prng.vh"
  function [31:0] plen;
    input [63:0] s;
    begin
      plen = 1 + ((s >> 40) % MAX_PKT);
    end
  endfunction

  genvar g, w;
  generate
    for (g = 0; g < NUM_VC; g = g + 1) begin : g_vc
      reg [63:0] s, sig;
      reg [31:0] len, bidx, pkts, beats, errs, rnd, kidx, aborts, skips, abandons, skip_errs, nsearch;
      reg [31:0] first_err_beat;
      reg [63:0] first_err_got, first_err_exp;
      reg        first_err_glast, first_err_elast;
      reg        rdy;
      reg [1:0]  mode;     // 0 receive, 1 drop the rest of the packet, 2 search for the held beat
      reg [1:0]  why;      // mode 1: 0 abort, 1 abandon
      reg        srch_rst; // our reset came while searching: the held packet's rest is abandoned
      reg [DATA_W-1:0] held_d;
      reg        held_l;
      wire       hs = tvalid[g] && rdy && (mode == 2'd0) && !ep_rst;
      wire       elast = (bidx == len - 1);
      wire [63:0] s0 = ({seed, ~seed} ^ (GOLD * (STREAM_ID * NUM_VC + g + 1))) | 64'h1;
      wire [DATA_W-1:0] exp_d;
      wire [DATA_W-1:0] got_d = tdata[g*DATA_W +: DATA_W];
      wire [63:0] fold [0:NW];
      wire [63:0] hfold [0:NW];
      assign fold[0] = 64'h0;
      assign hfold[0] = 64'h0;
      for (w = 0; w < NW; w = w + 1) begin : g_w
        wire [63:0] rot = (w == 0) ? s : ((s << (8 * w)) | (s >> (64 - 8 * w)));
        assign exp_d[64*w +: 64] = rot ^ (GOLD * (w + 1));
        assign fold[w+1] = fold[w] ^ got_d[64*w +: 64];
        assign hfold[w+1] = hfold[w] ^ held_d[64*w +: 64];
      end
      assign tready[g] = rdy && (mode == 2'd0) && !ep_rst;
      assign st_pkts[32*g +: 32]     = pkts;
      assign st_beats[32*g +: 32]    = beats;
      assign st_errs[32*g +: 32]     = errs;
      assign st_sig[64*g +: 64]      = sig;
      assign st_err_beat[32*g +: 32] = first_err_beat;
      assign st_err_got[64*g +: 64]  = first_err_got;
      assign st_err_exp[64*g +: 64]  = first_err_exp;
      assign st_err_glast[g]         = first_err_glast;
      assign st_err_elast[g]         = first_err_elast;
      assign st_aborts[32*g +: 32]   = aborts;
      assign st_skips[32*g +: 32]    = skips;
      assign st_abandons[32*g +: 32] = abandons;
      assign st_next[32*g +: 32]     = kidx;
      assign st_skip_errs[32*g +: 32] = skip_errs;
      wire [31:0] safe = safe_from[32*g +: 32];
      wire bad = (got_d != exp_d) || (tlast[g] != elast) || tuser[g];
      always @(posedge clk) begin
        if (!rst_n) begin
          s     <= s0;
          len   <= plen(s0);
          bidx  <= 0;
          pkts  <= 0;
          beats <= 0;
          errs  <= 0;
          sig   <= 64'h0;
          rdy   <= 1'b0;
          kidx  <= 0;
          aborts <= 0;
          skips <= 0;
          abandons <= 0;
          skip_errs <= 0;
          nsearch <= 0;
          mode  <= 2'd0;
          why   <= 2'd0;
          srch_rst <= 1'b0;
          held_d <= {DATA_W{1'b0}};
          held_l <= 1'b0;
          first_err_beat  <= 0;
          first_err_got   <= 64'h0;
          first_err_exp   <= 64'h0;
          first_err_glast <= 1'b0;
          first_err_elast <= 1'b0;
          rnd   <= xs32(seed ^ (32'hC2B2AE35 * (STREAM_ID * NUM_VC + g + 1))) | 32'h1;
        end else begin
          rnd <= xs32(rnd);
          rdy <= !stall[g] && (rnd >= bp_thr);
          if (mode == 2'd0 && ep_rst && bidx != 0) begin
            // our user logic is reset mid-packet: the packet is abandoned
            mode <= 2'd1;
            why  <= 2'd1;
          end else if (mode == 2'd1 || mode == 2'd2) begin
            if (mode == 2'd2 && ep_rst) srch_rst <= 1'b1;
            // step over one beat of the current packet (the rest of an aborted/abandoned
            // packet, or a whole skipped one while searching for the held first beat)
            if (mode == 2'd2 && bidx == 0 && held_d == exp_d && held_l == elast) begin
              // found: the held beat is the first beat of packet kidx (if our reset came
              // meanwhile, the rest of that packet is abandoned)
              mode  <= ((srch_rst || ep_rst) && !elast) ? 2'd1 : 2'd0;
              why   <= 2'd1;
              srch_rst <= 1'b0;
              beats <= beats + 1;
              s     <= xs64(s);
              sig   <= {sig[62:0], sig[63]} ^ hfold[NW] ^ {63'h0, held_l};
              if (elast) begin
                bidx <= 0;
                len  <= plen(xs64(s));
                pkts <= pkts + 1;
                kidx <= kidx + 1;
              end else begin
                bidx <= bidx + 1;
              end
            end else begin
              s <= xs64(s);
              if (elast) begin
                bidx <= 0;
                len  <= plen(xs64(s));
                kidx <= kidx + 1;
                if (mode == 2'd1) begin
                  mode <= 2'd0;
                  if (why == 2'd0) aborts <= aborts + 1;
                  else abandons <= abandons + 1;
                end else begin
                  skips <= skips + 1;
                  if (kidx >= safe) skip_errs <= skip_errs + 1;
                  nsearch <= nsearch + 1;
                  if (nsearch > 100000) begin  // not found: a corrupted beat, give up
                    mode <= 2'd0;
                    errs <= errs + 1;
                  end
                end
              end else begin
                bidx <= bidx + 1;
              end
            end
          end else if (hs) begin
            if (tuser[g]) begin
              // an abort: ends a packet whose head we have; must carry tlast
              if (bidx == 0 || !tlast[g]) errs <= errs + 1;
              if (elast) begin
                s    <= xs64(s);
                bidx <= 0;
                len  <= plen(xs64(s));
                kidx <= kidx + 1;
                aborts <= aborts + 1;
              end else begin
                mode <= 2'd1;
                why  <= 2'd0;
              end
            end else if (bidx == 0 && bad) begin
              // not the expected packet: packets were lost; hold the beat and search
              mode    <= 2'd2;
              held_d  <= got_d;
              held_l  <= tlast[g];
              nsearch <= 0;
            end else begin
              s     <= xs64(s);
              beats <= beats + 1;
              sig   <= {sig[62:0], sig[63]} ^ fold[NW] ^ {63'h0, tlast[g]};
              if (elast) begin
                bidx <= 0;
                len  <= plen(xs64(s));
                pkts <= pkts + 1;
                kidx <= kidx + 1;
              end else begin
                bidx <= bidx + 1;
              end
              if (bad) begin
                errs <= errs + 1;
                if (errs == 0) begin
                  first_err_beat  <= beats;
                  first_err_got   <= got_d[63:0];
                  first_err_exp   <= exp_d[63:0];
                  first_err_glast <= tlast[g];
                  first_err_elast <= elast;
                end
              end
            end
          end
        end
      end
    end
  endgenerate
endmodule
`default_nettype wire
