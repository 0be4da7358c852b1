// SPDX-License-Identifier: Apache-2.0
// m890_tile: ROWS x COLS output-stationary GEMM tile, Z = A x B + C.
//
// Dataflow (see docs/tile.md):
//   cmd  -> [nx slot] --(C loaded)--> [cur slot] -- issues one lane step per
//           cycle: A beat (ROWS lane words) and B beat (COLS lane words)
//           broadcast to every PE's pipelined m890_fdpa_mul.
//   ctl pipe (NUM_PIPE_REGS deep, the multipliers' latency) carries valid/first/last/kzero/acc_c/ill/rm
//           alongside the multipliers, so a later command never changes the
//           rounding mode or format of a step already in flight.
//   PE accumulate loop: acc <= m890_fdpa_add(pb, first ? init : acc, rm),
//           one step per cycle.
//   On a command's last step every PE's result is copied into a result bank
//   (output bank zbuf, or the hold bank hbuf while zbuf still drains), which
//   drains ROWS beats on m_axis_z while the next command already computes in acc.
//   C beats of the next commands are prefetched into two C buffers, used in
//   turn; a buffer is free again once its command's first step has read it.
`default_nettype none
`include "m890_fdpa_defs.vh"

module m890_tile #(
  parameter ROWS          = 4,  // rows of the array (A lane words per beat), 1..64
  parameter COLS          = 4,  // columns of the array (B lane words per beat), 1..64
  parameter NUM_PIPE_REGS = 3,  // multiplier pipeline registers (1..3) = control pipe depth
  parameter NACC          = 1   // interleaved accumulators per PE, 1..8: ARCHITECTURE.md 4.1, docs/tile.md
) (
  input  wire                clk,
  input  wire                rst_n,
  input  wire [63:0]         s_axis_cmd_tdata,
  input  wire                s_axis_cmd_tvalid,
  output wire                s_axis_cmd_tready,
  input  wire [32*ROWS-1:0]  s_axis_a_tdata,
  input  wire [8*ROWS-1:0]   s_axis_a_tuser,
  input  wire                s_axis_a_tvalid,
  output wire                s_axis_a_tready,
  input  wire [32*COLS-1:0]  s_axis_b_tdata,
  input  wire [8*COLS-1:0]   s_axis_b_tuser,
  input  wire                s_axis_b_tvalid,
  output wire                s_axis_b_tready,
  input  wire [32*COLS-1:0]  s_axis_c_tdata,
  input  wire                s_axis_c_tvalid,
  output wire                s_axis_c_tready,
  output wire [32*COLS-1:0]  m_axis_z_tdata,
  output wire [5*COLS-1:0]   m_axis_z_tuser,
  output wire                m_axis_z_tvalid,
  input  wire                m_axis_z_tready,
  output wire                m_axis_z_tlast
);

  // ---------------------------------------------------------------- checks
  // An out-of-range parameter instantiates a module that does not exist, so
  // elaboration stops with its name as the message.
  generate
    if (ROWS < 1 || ROWS > 64) begin : g_bad_rows
      m890_tile_error_ROWS_must_be_1_to_64 u_err ();
    end
    if (COLS < 1 || COLS > 64) begin : g_bad_cols
      m890_tile_error_COLS_must_be_1_to_64 u_err ();
    end
    if (NUM_PIPE_REGS < 1 || NUM_PIPE_REGS > 3) begin : g_bad_lat
      m890_tile_error_NUM_PIPE_REGS_must_be_1_to_3 u_err ();
    end
    if (NACC < 1 || NACC > 8) begin : g_bad_nacc
      m890_tile_error_NACC_must_be_1_to_8 u_err ();
    end
  endgenerate

`include "m890_formats.vh"

  localparam LAT  = NUM_PIPE_REGS;   // multiplier latency: the accumulate side of the control pipe
  localparam CUT  = (NACC > 1) ? 1 : 0;  // the final add's cut (NACC >= 2): write-back one cycle later
  localparam NB   = ROWS * NACC;     // beats of a C or Z packet: row-major over (row, group)
  localparam RW   = (NB > 1) ? $clog2(NB) : 1;  // beat counter width
  localparam GW   = (NACC > 1) ? $clog2(NACC) : 1;  // group (chain) index width
  localparam integer  LASTBEAT_I = NB - 1;   // index of the last C / Z beat
  localparam [RW-1:0] LASTBEAT = LASTBEAT_I[RW-1:0];
  localparam integer  LASTGRP_I = NACC - 1;
  localparam [GW-1:0] LASTGRP = LASTGRP_I[GW-1:0];
  localparam PW   = 32 * COLS * NB;  // a C / Z bank: beat b = (row r, group g), b = r*NACC + g, in [32*COLS*b +: 32*COLS]
  localparam CW   = 10 + GW;         // control word: {grp, cidx, rm[2:0], ill, acc_c, kzero, klast, first, valid}

  // -------------------------------------------------------- command decode
  wire [3:0]  cmd_fmt_a = s_axis_cmd_tdata[3:0];
  wire [3:0]  cmd_fmt_b = s_axis_cmd_tdata[7:4];
  wire [2:0]  cmd_rm    = s_axis_cmd_tdata[10:8];
  wire [1:0]  cmd_sf    = s_axis_cmd_tdata[12:11];
  wire        cmd_acc_c = s_axis_cmd_tdata[13];
  wire [15:0] cmd_k     = s_axis_cmd_tdata[31:16];
  wire        cmd_legal = m890_fdpa_legal(cmd_fmt_a, cmd_fmt_b, cmd_rm, cmd_sf);
  wire unused_cmd = |{s_axis_cmd_tdata[63:32], s_axis_cmd_tdata[15:14]};

  // ------------------------------------------------------------ state
  // nx: the accepted command waiting for its C beats / for cur to finish
  reg         nx_valid, nx_cloaded;
  reg  [3:0]  nx_fmt_a, nx_fmt_b;
  reg  [2:0]  nx_rm;
  reg  [1:0]  nx_sf;
  reg         nx_acc_c, nx_ill;
  reg         nx_cidx;         // which C buffer holds its C
  reg  [15:0] nx_k;
  // cur: the command issuing lane steps
  reg         cur_valid, cur_first, cur_kzero;
  reg  [GW-1:0] cur_grp;       // chain (column group) of the next step: 0 .. NACC-1 per lane step
  reg  [3:0]  cur_fmt_a, cur_fmt_b;
  reg  [2:0]  cur_rm;
  reg  [1:0]  cur_sf;
  reg         cur_acc_c, cur_ill;
  reg         cur_cidx;
  reg  [15:0] cur_left;        // lane steps still to issue (counting the current one)
  // C prefetch buffers (two, used in turn): beat b in [32*COLS*b +: 32*COLS]
  reg  [PW-1:0]      cbuf0, cbuf1;
  reg  [RW-1:0]      c_cnt;      // beats of the C being loaded
  reg                c_wp;       // buffer being / to be loaded
  reg  [1:0]         c_used;     // buffers holding a C not yet read by its command's first step
  // result buffer
  reg  [PW-1:0]           zbuf;   // beat b in [32*COLS*b +: 32*COLS], beat 0 drains first
  reg  [5*COLS*NB-1:0]    zflg;
  reg  [RW-1:0]      z_cnt;
  reg  [1:0]         zres;       // result banks reserved: last steps in flight, held or draining (0..2)
  reg                zvalid;
  // hold bank: a finished result waiting while the output bank drains
  reg  [PW-1:0]           hbuf;
  reg  [5*COLS*NB-1:0]    hflg;
  reg                     hvalid;

  // ------------------------------------------------------------ issue
  // A is taken once per lane step, with group 0's B beat, and held for the other groups (NACC >= 2)
  wire last_grp    = (cur_grp == LASTGRP);
  wire need_a      = (NACC == 1) || (cur_grp == {GW{1'b0}});
  wire cur_klast   = cur_kzero || (cur_left == 16'd1);   // the step is its chain's last
  wire cur_is_last = cur_klast && last_grp;              // ... and the command's last
  wire ab_ok       = cur_kzero || (s_axis_b_tvalid && (s_axis_a_tvalid || !need_a));
  wire fire        = cur_valid && ab_ok && (!cur_is_last || (zres != 2'd2));
  wire fire_ab     = fire && !cur_kzero;
  wire cur_done    = fire && cur_is_last;
  wire nx_ready    = nx_valid && (!nx_acc_c || nx_cloaded);
  wire cur_load    = nx_ready && (!cur_valid || cur_done);

  // Every ready is gated by rst_n: while the tile is held in reset no beat is taken (and lost),
  // also on the first reset cycle, when the state is still the old one (formal/tile.sby).
  assign s_axis_a_tready   = rst_n && fire_ab && need_a;
  assign s_axis_b_tready   = rst_n && fire_ab;
  assign s_axis_cmd_tready = rst_n && (!nx_valid || cur_load);
  assign s_axis_c_tready   = rst_n && nx_valid && nx_acc_c && !nx_cloaded && (c_used != 2'd2);

  wire cmd_hs = s_axis_cmd_tvalid && s_axis_cmd_tready;
  wire c_hs   = s_axis_c_tvalid && s_axis_c_tready;
  wire z_hs   = zvalid && m_axis_z_tready;
  wire z_done = z_hs && (z_cnt == LASTBEAT);

  // ------------------------------------------------------------ control pipe
  // Stage LAT-1 (ctl_*) meets the multipliers' bundles: the accumulators and C are read there.
  // Stage LAT-1+CUT (wb_*) is the write-back: the step's result leaves the PEs there.
  localparam DEPTH = LAT + CUT;
  wire [CW-1:0] ctl_in = {cur_grp, cur_cidx, cur_rm, cur_ill, cur_acc_c, cur_kzero, cur_klast, cur_first, fire};
  reg  [CW*DEPTH-1:0] ctl_sr;   // stage i in [CW*i +: CW]
  wire [CW-1:0] ctl_out = ctl_sr[CW*(LAT-1) +: CW];
  wire [CW-1:0] wb_out  = ctl_sr[CW*(DEPTH-1) +: CW];
  wire          ctl_valid = ctl_out[0];
  wire          ctl_first = ctl_out[1];
  wire          ctl_acc_c = ctl_out[4];
  wire [2:0]    ctl_rm    = ctl_out[8:6];
  wire          ctl_cidx  = ctl_out[9];
  wire [GW-1:0] ctl_grp   = ctl_out[10 +: GW];
  wire          wb_valid  = wb_out[0];
  wire          wb_first  = wb_out[1];
  wire          wb_klast  = wb_out[2];
  wire          wb_kzero  = wb_out[3];
  wire          wb_ill    = wb_out[5];
  wire [GW-1:0] wb_grp    = wb_out[10 +: GW];
  wire unused_ctl = |{ctl_out[5:2], wb_out[9:4]};
  wire          c_full    = c_hs && (c_cnt == LASTBEAT);           // a C buffer completes
  // its command's first step of the last chain read it
  wire          c_free    = ctl_valid && ctl_first && ctl_acc_c && (ctl_grp == LASTGRP);

  wire [32*COLS*ROWS-1:0] pe_z;    // PE (r, c) in [32*(COLS*r+c) +: 32]: chain wb_grp's value
  wire [5*COLS*ROWS-1:0]  pe_fl;
  // Result banks. Two reservations at most (zres), so a result never arrives with both banks full.
  // With NACC >= 2 the chains finish one per cycle: groups 0 .. NACC-2 wait in rbuf for the last one.
  wire                    res_arrive = wb_valid && wb_klast && (wb_grp == LASTGRP);
  wire [PW-1:0]           res_all;
  wire [5*COLS*NB-1:0]    res_fall;
  wire [PW-1:0]           res_z = wb_ill ? {(COLS*NB){`M890_QNAN}}  : res_all;
  wire [5*COLS*NB-1:0]    res_f = wb_ill ? {(COLS*NB){`M890_FLAG_NV}} : res_fall;

  integer i;
  always @(posedge clk) begin
    if (!rst_n) begin
      ctl_sr <= {CW*DEPTH{1'b0}};
    end else begin
      ctl_sr[0 +: CW] <= ctl_in;
      for (i = 1; i < DEPTH; i = i + 1) ctl_sr[CW*i +: CW] <= ctl_sr[CW*(i-1) +: CW];
    end
  end

  // ------------------------------------------------------------ sequencing
  always @(posedge clk) begin
    if (!rst_n) begin
      nx_valid   <= 1'b0;
      nx_cloaded <= 1'b0;
      cur_valid  <= 1'b0;
      cur_first  <= 1'b0;
      cur_grp    <= {GW{1'b0}};
      c_used     <= 2'd0;
      c_wp       <= 1'b0;
      c_cnt      <= {RW{1'b0}};
      zres       <= 2'd0;
      zvalid     <= 1'b0;
      hvalid     <= 1'b0;
      z_cnt      <= {RW{1'b0}};
    end else begin
      // nx slot
      if (cmd_hs) begin
        nx_valid   <= 1'b1;
        nx_cloaded <= 1'b0;
        nx_fmt_a   <= cmd_fmt_a;
        nx_fmt_b   <= cmd_fmt_b;
        nx_rm      <= cmd_rm;
        nx_sf      <= cmd_sf;
        nx_acc_c   <= cmd_acc_c;
        nx_ill     <= !cmd_legal;
        nx_k       <= cmd_k;
      end else if (cur_load) begin
        nx_valid   <= 1'b0;
        nx_cloaded <= 1'b0;
      end else if (c_hs && (c_cnt == LASTBEAT)) begin
        nx_cloaded <= 1'b1;
        nx_cidx    <= c_wp;
      end
      // C prefetch
      if (c_hs) begin
        if (c_cnt == LASTBEAT) begin
          c_cnt <= {RW{1'b0}};
          c_wp  <= !c_wp;
        end else begin
          c_cnt <= c_cnt + 1'b1;
        end
      end
      if (c_full && !c_free) begin
        c_used <= c_used + 1'b1;
      end else if (c_free && !c_full) begin
        c_used <= c_used - 1'b1;
      end
      // cur slot
      if (cur_load) begin
        cur_valid <= 1'b1;
        cur_first <= 1'b1;
        cur_grp   <= {GW{1'b0}};
        cur_kzero <= (nx_k == 16'd0);
        cur_left  <= nx_k;
        cur_fmt_a <= nx_fmt_a;
        cur_fmt_b <= nx_fmt_b;
        cur_rm    <= nx_rm;
        cur_sf    <= nx_sf;
        cur_acc_c <= nx_acc_c;
        cur_ill   <= nx_ill;
        cur_cidx  <= nx_cidx;
      end else if (fire) begin
        if (last_grp) begin
          cur_grp   <= {GW{1'b0}};
          cur_first <= 1'b0;
          cur_left  <= cur_left - 1'b1;
        end else begin
          cur_grp   <= cur_grp + 1'b1;
        end
        if (cur_is_last) cur_valid <= 1'b0;
      end
      // result buffer
      if (cur_done && !z_done) begin
        zres <= zres + 1'b1;
      end else if (z_done && !cur_done) begin
        zres <= zres - 1'b1;
      end
      // output bank: loaded by an arriving result when free (or freed now), else from the hold bank
      if ((res_arrive && (!zvalid || z_done)) || (z_done && hvalid)) begin
        zvalid <= 1'b1;
        z_cnt  <= {RW{1'b0}};
      end else if (z_hs) begin
        z_cnt <= z_cnt + 1'b1;
        if (z_done) zvalid <= 1'b0;
      end
      if (res_arrive && zvalid && !z_done) begin
        hvalid <= 1'b1;
      end else if (z_done && hvalid) begin
        hvalid <= 1'b0;
      end
    end
  end

  // C buffers: shift registers, beat 0 ends up in beat 0
  integer j;
  always @(posedge clk) begin
    if (c_hs && !c_wp) begin
      for (j = 0; j < NB - 1; j = j + 1) cbuf0[32*COLS*j +: 32*COLS] <= cbuf0[32*COLS*(j+1) +: 32*COLS];
      cbuf0[32*COLS*(NB-1) +: 32*COLS] <= s_axis_c_tdata;
    end
    if (c_hs && c_wp) begin
      for (j = 0; j < NB - 1; j = j + 1) cbuf1[32*COLS*j +: 32*COLS] <= cbuf1[32*COLS*(j+1) +: 32*COLS];
      cbuf1[32*COLS*(NB-1) +: 32*COLS] <= s_axis_c_tdata;
    end
  end
  wire [PW-1:0] cinit = ctl_cidx ? cbuf1 : cbuf0;

  // A held for the groups after the first (NACC >= 2): the PEs see the port at group 0, the hold after
  wire [32*ROWS-1:0] pe_a;
  wire [8*ROWS-1:0]  pe_sa;
  generate
    if (NACC > 1) begin : g_ahold
      reg [32*ROWS-1:0] a_hold;
      reg [8*ROWS-1:0]  sa_hold;
      always @(posedge clk) begin
        if (s_axis_a_tvalid && s_axis_a_tready) begin
          a_hold  <= s_axis_a_tdata;
          sa_hold <= s_axis_a_tuser;
        end
      end
      assign pe_a  = need_a ? s_axis_a_tdata : a_hold;
      assign pe_sa = need_a ? s_axis_a_tuser : sa_hold;
    end else begin : g_adirect
      assign pe_a  = s_axis_a_tdata;
      assign pe_sa = s_axis_a_tuser;
    end
  endgenerate

  // ------------------------------------------------------------ PE array
  wire [31:0] ctl_grp32 = {{(32-GW){1'b0}}, ctl_grp};   // (an index term of full integer width)
  genvar r, c, g;
  generate
    for (r = 0; r < ROWS; r = r + 1) begin : g_row
      for (c = 0; c < COLS; c = c + 1) begin : g_col
        // C of element (r, g*COLS + c): beat r*NACC + g, word c
        wire [31:0] init = cinit[32*(COLS*(r*NACC + ctl_grp32) + c) +: 32];
        m890_tile_pe #(.NUM_PIPE_REGS(NUM_PIPE_REGS), .NACC(NACC), .GW(GW)) u_pe (
          .clk          (clk),
          .rst_n        (rst_n),
          .in_valid     (fire_ab),
          .in_fmt_a     (cur_fmt_a),
          .in_fmt_b     (cur_fmt_b),
          .in_scale_fmt (cur_sf),
          .in_scale_a   (pe_sa[8*r +: 8]),
          .in_scale_b   (s_axis_b_tuser[8*c +: 8]),
          .in_a         (pe_a[32*r +: 32]),
          .in_b         (s_axis_b_tdata[32*c +: 32]),
          .ctl_first    (ctl_first),
          .ctl_grp      (ctl_grp),
          .ctl_rm       (ctl_rm),
          .ctl_init     (ctl_acc_c ? init : 32'd0),
          .wb_valid     (wb_valid),
          .wb_first     (wb_first),
          .wb_kzero     (wb_kzero),
          .wb_grp       (wb_grp),
          .step_z       (pe_z[32*(COLS*r+c) +: 32]),
          .step_flags   (pe_fl[5*(COLS*r+c) +: 5])
        );
        // the result of element (r, g*COLS + c): the last group straight from the PE, the others
        // from rbuf, where they finished 1 .. NACC-1 cycles earlier
        for (g = 0; g < NACC; g = g + 1) begin : g_grp
          localparam integer  E  = COLS*(r*NACC + g) + c;   // element index in a bank
          localparam integer  GI = g;
          localparam [GW-1:0] GV = GI[GW-1:0];
          if (g == NACC - 1) begin : g_now
            assign res_all[32*E +: 32] = pe_z[32*(COLS*r+c) +: 32];
            assign res_fall[5*E +: 5]  = pe_fl[5*(COLS*r+c) +: 5];
          end else begin : g_wait
            reg [31:0] rz;
            reg [4:0]  rf;
            always @(posedge clk) begin
              if (wb_valid && wb_klast && (wb_grp == GV)) begin
                rz <= pe_z[32*(COLS*r+c) +: 32];
                rf <= pe_fl[5*(COLS*r+c) +: 5];
              end
            end
            assign res_all[32*E +: 32] = rz;
            assign res_fall[5*E +: 5]  = rf;
          end
        end
      end
    end
  endgenerate

  // Output bank: loaded whole (from the hold bank or the arriving result), drained row 0 first by shifting.

  always @(posedge clk) begin
    if (res_arrive && zvalid && !z_done) begin
      hbuf <= res_z;
      hflg <= res_f;
    end
  end

  integer k;
  always @(posedge clk) begin
    if (z_done && hvalid) begin
      zbuf <= hbuf;
      zflg <= hflg;
    end else if (res_arrive && (!zvalid || z_done)) begin
      zbuf <= res_z;
      zflg <= res_f;
    end else if (z_hs) begin
      for (k = 0; k < NB - 1; k = k + 1) begin
        zbuf[32*COLS*k +: 32*COLS] <= zbuf[32*COLS*(k+1) +: 32*COLS];
        zflg[5*COLS*k +: 5*COLS]   <= zflg[5*COLS*(k+1) +: 5*COLS];
      end
    end
  end

  assign m_axis_z_tdata  = zbuf[0 +: 32*COLS];
  assign m_axis_z_tuser  = zflg[0 +: 5*COLS];
  assign m_axis_z_tvalid = zvalid;
  assign m_axis_z_tlast  = (z_cnt == LASTBEAT);

endmodule

`default_nettype wire
