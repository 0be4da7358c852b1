// SPDX-License-Identifier: Apache-2.0
`default_nettype none
// m890_crc32c: combinational CRC-32C (Castagnoli) of a W-bit message.
//
// Standard CRC-32C: reflected polynomial 0x82F63B78 (normal 0x1EDC6F41), initial value
// 0xFFFFFFFF, final XOR 0xFFFFFFFF; check value 0xE3069283 for the ASCII "123456789".
// Message bit order: data[0] is the first bit on the wire, i.e. the message is a string of
// little-endian bytes (data[7:0] is byte 0) each sent LSB first, as in iSCSI/SCTP/Ethernet.
//
// The CRC is affine in the data: crc = CRC(0...0) ^ XOR_i data[i]*COL_i. The 32 masks
// (which data bits feed each CRC bit) are computed at elaboration time by constant
// functions, so the hardware is 32 XOR trees and simulators evaluate one AND+reduce per bit.
module m890_crc32c #(
  parameter W = 64  // message width in bits (>= 1)
) (
  input  wire [W-1:0] data,
  output wire [31:0]  crc
);
  localparam [31:0] POLY = 32'h82F63B78;

  generate
    if (W < 1) begin : g_bad_w
      m890_param_error_crc32c_w_must_be_positive u_err ();
    end
  endgenerate

  // one LFSR step with a zero input bit
  function [31:0] step0;
    input [31:0] s;
    begin
      step0 = (s >> 1) ^ (s[0] ? POLY : 32'h0);
    end
  endfunction

  // the message bits that feed CRC bit j
  function [W-1:0] col_mask;
    input [4:0] j;
    integer i;
    reg [31:0] c;
    begin
      c = POLY;
      col_mask = {W{1'b0}};
      for (i = W - 1; i >= 0; i = i - 1) begin
        col_mask[i] = c[j];
        c = step0(c);
      end
    end
  endfunction

  // CRC of the all-zero message (the affine constant, includes init and final XOR)
  function [31:0] zero_crc;
    input [31:0] init;
    integer i;
    reg [31:0] s;
    begin
      s = init;
      for (i = 0; i < W; i = i + 1) s = step0(s);
      zero_crc = ~s;
    end
  endfunction

  localparam [31:0] K0 = zero_crc(32'hFFFFFFFF);

  genvar j;
  generate
    for (j = 0; j < 32; j = j + 1) begin : g_bit
      localparam [W-1:0] MASK = col_mask(j[4:0]);
      assign crc[j] = K0[j] ^ (^(data & MASK));
    end
  endgenerate
endmodule
`default_nettype wire
